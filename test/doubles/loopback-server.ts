import { createServer, type RequestListener, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';

/** An HTTP server on 127.0.0.1, on a free port: what every stand-in of the tests listens on. */
export class LoopbackServer {
  private readonly server: Server;

  constructor(handle: RequestListener) {
    this.server = createServer(handle);
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  /** `http://127.0.0.1:<port>`, once listening. */
  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Closes every connection still open, kept-alive ones included: an idle client socket must not hold the run. */
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
