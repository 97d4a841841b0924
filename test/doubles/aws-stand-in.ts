import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type AwsClients, createAwsClients } from '../../lambda/bucket/aws-clients';
import type { RetryObserver, RetryPolicy } from '../../lambda/bucket/retry';
import { LoopbackServer } from './loopback-server';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './s3-server';

/**
 * Stands in for EventBridge, SNS and Secrets Manager on 127.0.0.1 so that the real SDK clients serialise real
 * requests, and records what they sent: PutEvents (AWS JSON 1.1), Publish (AWS query protocol) and GetSecretValue
 * (AWS JSON 1.1, answered from `secrets`). It can answer 500 to test retries.
 */
export interface RecordedEvent {
  readonly source: string;
  readonly detailType: string;
  readonly eventBusName: string;
  readonly detail: Record<string, unknown>;
}

export interface RecordedAlert {
  readonly topicArn: string;
  readonly subject?: string;
  readonly message: string;
}

export class AwsRecorder {
  readonly events: RecordedEvent[] = [];
  readonly alerts: RecordedAlert[] = [];
  /** Secret strings by secret id (the ARN the client asks for). */
  readonly secrets = new Map<string, string>();
  /** Secret ids in the order they were read. */
  readonly secretReads: string[] = [];
  private failuresLeft = 0;
  failedRequests = 0;

  private readonly server = new LoopbackServer((req, res) => void this.handle(req, res));

  private constructor() {}

  /** The function's AWS clients as a local run wires them: S3 at `s3Endpoint`, everything else at this stand-in. */
  clients(s3Endpoint: string, retry: RetryPolicy, onRetry: RetryObserver): AwsClients {
    const { endpoint } = this;
    return createAwsClients({
      retry,
      onRetry,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      endpoints: { s3: s3Endpoint, eventBridge: endpoint, sns: endpoint, secretsManager: endpoint },
    });
  }

  static async start(): Promise<AwsRecorder> {
    const recorder = new AwsRecorder();
    await recorder.server.listen();
    return recorder;
  }

  get endpoint(): string {
    return this.server.endpoint;
  }

  /** Answers the next `times` requests, of either service, with 500. */
  failNext(times: number): void {
    this.failuresLeft = times;
  }

  clear(): void {
    this.events.length = 0;
    this.alerts.length = 0;
    this.secretReads.length = 0;
    this.failuresLeft = 0;
    this.failedRequests = 0;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await new Promise<string>((resolve) => {
      let text = '';
      req.on('data', (chunk) => (text += chunk));
      req.on('end', () => resolve(text));
    });
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      this.failedRequests += 1;
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ __type: 'InternalException', message: 'injected by the test recorder' }));
      return;
    }
    if (req.headers['x-amz-target'] === 'AWSEvents.PutEvents') return this.putEvents(body, res);
    if (req.headers['x-amz-target'] === 'secretsmanager.GetSecretValue') return this.getSecretValue(body, res);
    const form = new URLSearchParams(body);
    if (form.get('Action') === 'Publish') return this.publish(form, res);
    res.writeHead(400);
    res.end(`unexpected request ${req.method} ${req.url} ${body}`);
  }

  private putEvents(body: string, res: ServerResponse): void {
    const entries = (
      JSON.parse(body) as { Entries: { Source: string; DetailType: string; EventBusName: string; Detail: string }[] }
    ).Entries;
    for (const entry of entries) {
      this.events.push({
        source: entry.Source,
        detailType: entry.DetailType,
        eventBusName: entry.EventBusName,
        detail: JSON.parse(entry.Detail),
      });
    }
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(JSON.stringify({ FailedEntryCount: 0, Entries: entries.map(() => ({ EventId: randomUUID() })) }));
  }

  private getSecretValue(body: string, res: ServerResponse): void {
    const id = (JSON.parse(body) as { SecretId: string }).SecretId;
    this.secretReads.push(id);
    const value = this.secrets.get(id);
    res.writeHead(value === undefined ? 400 : 200, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(
      JSON.stringify(
        value === undefined
          ? { __type: 'ResourceNotFoundException', message: `Secrets Manager can't find the specified secret.` }
          : {
              ARN: id,
              Name: id.split(':').pop(),
              SecretString: value,
              VersionId: randomUUID(),
              VersionStages: ['AWSCURRENT'],
            },
      ),
    );
  }

  private publish(form: URLSearchParams, res: ServerResponse): void {
    this.alerts.push({
      topicArn: form.get('TopicArn') ?? '',
      subject: form.get('Subject') ?? undefined,
      message: form.get('Message') ?? '',
    });
    res.writeHead(200, { 'content-type': 'text/xml' });
    res.end(
      `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${randomUUID()}</MessageId></PublishResult>` +
        `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
    );
  }
}
