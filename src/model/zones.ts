/**
 * Zones as the config file declares them (`zones:`). A zone without an
 * engine runs its instances as local processes (the default for every zone
 * an Auto Scaling group names); a zone with `docker` runs them as containers
 * on that Docker engine, one engine per zone (docs/containers.md).
 */

/** A Docker engine, addressed as a Docker context addresses it. */
export interface DockerEngineSpec {
  /** unix:///var/run/docker.sock, tcp://host:2376 (with tls), or ssh://user@host[:port]. */
  host: string;
  /** Client certificate files (absolute paths), for tcp:// engines that require TLS. */
  tls?: { ca: string; cert: string; key: string };
  /**
   * `host` (default for unix:// engines): containers share the engine host's
   * network and each binds its own loopback address; `bridge` (default for
   * tcp:// and ssh://): the app's port is published on the engine host and the
   * published port is what gets registered.
   */
  network: 'host' | 'bridge';
  /** Where published ports are reached (bridge): default the host of a tcp:// or ssh:// URL, 127.0.0.1 for unix://. */
  address: string;
}

export interface ZoneSpec {
  name: string;
  docker?: DockerEngineSpec;
}
