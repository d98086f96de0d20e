import { BaseRpcContext } from '@nestjs/microservices';

type StreamsContextArgs = [stream: string, entryId: string, consumer: string, reclaimed: boolean];

/** What a handler may learn about the stream entry it is running (via @Ctx()). */
export class StreamsContext extends BaseRpcContext<StreamsContextArgs> {
  getStream(): string {
    return this.args[0];
  }

  getEntryId(): string {
    return this.args[1];
  }

  /** The replica (consumer in the group) running the request. */
  getConsumer(): string {
    return this.args[2];
  }

  /** True when the request was claimed from a replica that stopped answering. */
  isReclaimed(): boolean {
    return this.args[3];
  }
}
