// Never runs: this image's boot script fails first (see README.md).
console.log('unreachable');
