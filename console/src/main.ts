// Entry point of the browser console, bundled by scripts/build-console.js into
// dist/console/main.js. Pages are not written yet: the daemon still serves the
// server-rendered table page (src/api/console.ts).
const root = document.getElementById('shoal-console');
if (root !== null) {
  root.textContent = 'shoal console';
}
