// Entry of the embedded server's client-reads thread (started by client-reads-thread.ts): answers the
// connector threads' FP, FRP and UPUI on a read-only connection of its own, beside push-group's writer.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { openSqliteReader } from '@fscpush/adapter-sqlite';
import { PortLink, serveThreadCalls } from '@fscpush/adapter-thread';
import { clientReadServices, type Schema } from '@fscpush/push-group';

export interface ClientReadsWorkerData {
  file: string;
  cacheMb: number;
}

const data = workerData as ClientReadsWorkerData;
const reads = openSqliteReader<Schema>(data.file, { cacheMb: data.cacheMb });
const services = clientReadServices(reads);
const links: PortLink[] = [];

parentPort!.on('message', (message: { serve?: MessagePort; stop?: true }) => {
  if (message.serve) {
    const link = new PortLink(message.serve, { urgent: () => true });
    serveThreadCalls(link, services);
    links.push(link);
  }
  if (message.stop) {
    for (const link of links) link.close();
    void reads.destroy().finally(() => parentPort!.close());
  }
});
parentPort!.postMessage({ ready: true });
