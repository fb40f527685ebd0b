/**
 * How durable DynamoDB Local is under SIGKILL, the figure the crash harness works around: writers
 * put items (half in transactions) as fast as DynamoDB Local acknowledges them, java is SIGKILLed at a random moment, and
 * after a restart on the same data the acknowledged items that are gone are counted, with how long
 * before the kill their acknowledgement came. `npx node bench/dynamodb-local-durability.ts`
 * (DURABILITY_KILLS=5, DURABILITY_WRITERS=10).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand, PutItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { createLocalDynamoDbClient, ensureTable, findFreePort, startDynamoDbLocal } from '#local/dynamodb-local.ts';

const kills = Number(process.env.DURABILITY_KILLS ?? 5);
const writers = Number(process.env.DURABILITY_WRITERS ?? 10);
const dir = mkdtempSync(join(tmpdir(), 'ddb-durability-'));
const table = 'durability';
const results: { acknowledged: number; lost: number; lostWithinMs: number }[] = [];
try {
  for (let trial = 0; trial < kills; trial++) {
    const port = await findFreePort();
    const dynamodb = await startDynamoDbLocal({ port, dbPath: dir });
    const client = createLocalDynamoDbClient(dynamodb.endpoint);
    await ensureTable(client, table);
    const acked: { key: string; at: number }[] = [];
    let stop = false;
    const write = async (writer: number) => {
      for (let n = 0; !stop; n++) {
        const key = `t${trial}-w${writer}-${n}`;
        try {
          const Item = { pk: { S: key }, sk: { S: 'x' } };
          // Half the writers as the API's creates (a transaction), half as delivery's claims (a put).
          if (writer % 2 === 0) await client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: table, Item, ConditionExpression: 'attribute_not_exists(pk)' } }] }));
          else await client.send(new PutItemCommand({ TableName: table, Item }));
          acked.push({ key, at: performance.now() });
        } catch {
          return; // the kill
        }
      }
    };
    const running = Array.from({ length: writers }, (_, writer) => write(writer));
    await new Promise((resolve) => setTimeout(resolve, 1_000 + Math.random() * 2_000));
    const killedAt = performance.now();
    process.kill(dynamodb.pid, 'SIGKILL');
    stop = true;
    await Promise.all(running);
    client.destroy();
    await dynamodb.stop();

    const again = await startDynamoDbLocal({ port: await findFreePort(), dbPath: dir });
    const reader = createLocalDynamoDbClient(again.endpoint);
    const lost: number[] = [];
    for (const { key, at } of acked) {
      const { Item } = await reader.send(new GetItemCommand({ TableName: table, Key: { pk: { S: key }, sk: { S: 'x' } } }));
      if (!Item) lost.push(killedAt - at);
    }
    reader.destroy();
    await again.stop();
    results.push({ acknowledged: acked.length, lost: lost.length, lostWithinMs: Math.round(Math.max(0, ...lost)) });
    process.stdout.write(`kill ${trial + 1}: ${acked.length} writes acknowledged, ${lost.length} lost (acknowledged at most ${Math.round(Math.max(0, ...lost))} ms before the kill)\n`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const total = results.reduce((sum, result) => sum + result.lost, 0);
process.stdout.write(`${JSON.stringify({ kills, writers, acknowledged: results.reduce((sum, r) => sum + r.acknowledged, 0), lost: total, lostWithinMs: Math.max(...results.map((r) => r.lostWithinMs)) })}\n`);
