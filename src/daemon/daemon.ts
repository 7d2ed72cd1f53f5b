/**
 * The composition root: the control plane, then the API listener in front
 * of it (shoal's JSON API, the console, the AWS-compatible endpoint). It
 * sits above controlplane/ and api/ so that neither imports the other.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiAccess } from '../api/auth/access.js';
import { startApiServer } from '../api/server.js';
import { AwsEndpoint } from '../api/aws/endpoint/endpoint.js';
import { ControlPlane, type ControlPlaneOptions } from '../controlplane/control-plane.js';
import { awsServices } from './aws-services.js';

export type DaemonOptions = ControlPlaneOptions;

export class Daemon {
  private constructor(
    /** Everything that runs the fleet: model, targets, health, Auto Scaling, metrics. */
    readonly control: ControlPlane,
    private readonly api: Server,
    /** The API token (written to <stateDir>/api-token), console sessions, the Host policy (docs/security.md). */
    private readonly access: ApiAccess,
  ) {}

  static async start(o: DaemonOptions): Promise<Daemon> {
    const control = await ControlPlane.start(o);
    try {
      const { listen, allowedHosts, metrics } = control.config.api;
      const access = new ApiAccess({
        listen, allowedHosts, stateDir: control.stateDir, clock: o.clock,
        credentials: () => control.config.api.credentials, metricsPublic: metrics.public,
      });
      const aws = new AwsEndpoint({
        services: awsServices(control),
        credentials: () => control.config.api.credentials,
        allowUnsigned: () => control.config.api.allowUnsigned,
        clock: o.clock,
        log: o.log,
      });
      const api = await startApiServer(listen, { backend: control, access, aws, metrics: control.prometheus }, o.log);
      return new Daemon(control, api, access);
    } catch (err) {
      await control.stop(0);
      throw err;
    }
  }

  /** The bearer token /_shoal/ calls need (new at each start; also in <stateDir>/api-token). */
  get apiToken(): string {
    return this.access.token;
  }

  /** Where the API token was written (mode 0600). */
  get apiTokenPath(): string {
    return this.access.tokenPath;
  }

  /** A console URL carrying a new one-time login token. */
  consoleUrl(): string {
    return this.access.consoleUrl().url;
  }

  /** Where the API answers (the real port when the config said 0). */
  apiAddress(): string {
    const a = this.api.address() as AddressInfo | null;
    return a ? `${a.address}:${a.port}` : this.control.config.api.listen;
  }

  reload(): ReturnType<ControlPlane['reload']> {
    return this.control.reload();
  }

  /** Stops taking API calls, then the control plane (in-flight requests get up to graceMs). */
  async stop(graceMs = 30_000): Promise<void> {
    const closed = new Promise<void>((resolve) => this.api.close(() => resolve()));
    this.api.closeIdleConnections();
    await closed;
    await this.control.stop(graceMs);
  }
}
