import { ConditionalCheckFailedException, DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { archivedReference, badCursor, DomainError, inUse, invalidInput, notFound, versionConflict } from '#domain/errors.ts';
import { IdempotencyKeyHeld, idempotencyKeyInProgress, type IdempotencyRecord } from '#domain/idempotency.ts';
import { refKey, type ListQuery, type RecordRef, type RecordStore, type RemoveOptions, type UniqueClaim, type WriteOptions } from '#domain/record-store.ts';
import { MalformedRecord, parseRecord, type RecordKind, type RecordOf } from '#domain/record-kinds.ts';
import { logger } from '#logger';
import { currentCorrelationId } from '#correlation';
import {
  claimKey,
  idempotencyItemKey,
  itemKeys,
  correlationAttribute,
  itemOnlyAttributes,
  listCondition,
  recordKey,
  referenceCountKey,
  searchEntryKey,
  searchPrefixKey,
  tenantPartition,
} from '#adapters/dynamodb/item-keys.ts';
import { isRepresentative, searchTermsOf } from '#domain/search.ts';
import { clock } from '#adapters/clock.ts';
import { decodeCursor, encodeCursor } from '#adapters/dynamodb/cursor.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const maxBatchGetRounds = 5;
const maxBatchGetKeys = 100;

/** How many reads one list request may make to fill a page that a filter (`where`) thins out. */
const maxReadsPerPage = 5;

export function createDocumentClient(client = new DynamoDBClient({})): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

/** The store port on one DynamoDB table (the AWS table, or DynamoDB Local in local mode). */
/** The correlation id of the request writing a record, on its item: the stream record hands it to the evaluator. */
function correlation(): { [correlationAttribute]?: string } {
  const id = currentCorrelationId();
  return id === undefined ? {} : { [correlationAttribute]: id };
}

export function dynamoRecordStore(documents: DynamoDBDocumentClient, tableName: string): RecordStore {
  /**
   * A stored item as its kind's record: the key attributes dropped, then parsed with the kind's
   * schema, which fills in defaults. An item that does not parse is logged and fails the read: it is
   * our data, so it is a bug to fix, not something to pass on half-read.
   */
  const toRecord = <K extends RecordKind>(kind: K, item: Record<string, unknown>): RecordOf<K> => {
    const record = { ...item };
    for (const attribute of itemOnlyAttributes) delete record[attribute];
    try {
      return parseRecord(kind, record);
    } catch (error) {
      if (error instanceof MalformedRecord) logger.error('Stored record does not match its schema', { tenantId: item.tenantId, kind, id: error.id, issues: error.issues });
      throw error;
    }
  };

  const versionCondition = (expected: number | 'absent') =>
    expected === 'absent'
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expected } };

  /** A failed condition on the record itself: it is gone, or someone else wrote it first. */
  const recordConditionFailure = (kind: string, id: string, current: Record<string, unknown> | undefined) =>
    current ? versionConflict(kind, id, Number(current.version)) : notFound(kind, id);

  const claimItem = (tenantId: string, claim: UniqueClaim, kind: string, id: string): TransactItem => ({
    Put: {
      TableName: tableName,
      Item: { ...claimKey(tenantId, claim), tenantId, ownerKind: kind, ownerId: id },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });

  const releaseItem = (tenantId: string, claim: UniqueClaim, id: string): TransactItem => ({
    Delete: {
      TableName: tableName,
      Key: claimKey(tenantId, claim),
      // The owner is the record of this tenant: every tenant's settings have the same id.
      ConditionExpression: 'attribute_not_exists(pk) OR (ownerId = :owner AND tenantId = :tenant)',
      ExpressionAttributeValues: { ':owner': id, ':tenant': tenantId },
    },
  });

  /** A reference that must exist (and, where it says so, not be archived), checked in the transaction. */
  const referenceCheck = (tenantId: string, ref: RecordRef): TransactItem => ({
    ConditionCheck: {
      TableName: tableName,
      Key: recordKey(tenantId, ref.kind, ref.id),
      ...(ref.notArchived
        ? {
            ConditionExpression: 'attribute_exists(pk) AND #status <> :archived',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':archived': 'archived' },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
          }
        : { ConditionExpression: 'attribute_exists(pk)' }),
    },
  });

  /**
   * The count changes of counted references taken and dropped, one update per counted record (a
   * transaction may touch an item once): `ADD <holding kind> :n, total :n`. A net change of zero
   * (a booking saved with its own location) writes nothing.
   */
  const referenceCountUpdates = (tenantId: string, taken: readonly RecordRef[], dropped: readonly RecordRef[]): TransactItem[] => {
    const counts = new Map<string, { ref: RecordRef; by: Map<string, number> }>();
    for (const [refs, step] of [[taken, 1], [dropped, -1]] as const) {
      for (const ref of refs) {
        if (!ref.heldBy) continue;
        const key = refKey(ref.kind, ref.id);
        const entry = counts.get(key) ?? { ref, by: new Map<string, number>() };
        entry.by.set(ref.heldBy, (entry.by.get(ref.heldBy) ?? 0) + step);
        counts.set(key, entry);
      }
    }
    return [...counts.values()].flatMap(({ ref, by }): TransactItem[] => {
      const changes = [...by].filter(([, delta]) => delta !== 0);
      if (changes.length === 0) return [];
      const total = changes.reduce((sum, [, delta]) => sum + delta, 0);
      return [
        {
          Update: {
            TableName: tableName,
            Key: referenceCountKey(tenantId, ref.kind, ref.id),
            UpdateExpression: `ADD ${[...changes.map((_, i) => `#h${i} :h${i}`), '#total :total'].join(', ')}`,
            ExpressionAttributeNames: { ...Object.fromEntries(changes.map(([holder], i) => [`#h${i}`, holder])), '#total': 'total' },
            ExpressionAttributeValues: { ...Object.fromEntries(changes.map(([, delta], i) => [`:h${i}`, delta])), ':total': total },
          },
        },
      ];
    });
  };

  /**
   * A record's search entries: put for every term it has (unconditional, so rewriting one is a no-op),
   * deleted for those the version it replaces had and it has not.
   */
  const searchEntries = (tenantId: string, kind: string, record: Readonly<Record<string, unknown>> & { readonly id: string }, replaces?: Readonly<Record<string, unknown>>): TransactItem[] => {
    const terms = searchTermsOf(kind, record);
    const stale = replaces ? searchTermsOf(kind, replaces).filter((term) => !terms.includes(term)) : [];
    return [
      ...terms.map((term): TransactItem => ({ Put: { TableName: tableName, Item: { ...searchEntryKey(tenantId, kind, term, record.id), term, ownerId: record.id } } })),
      ...stale.map((term): TransactItem => ({ Delete: { TableName: tableName, Key: searchEntryKey(tenantId, kind, term, record.id) } })),
    ];
  };

  /** The counts of a record's holders, by kind, as its count item has them. */
  const referenceCounts = (item: Record<string, unknown> | undefined): Record<string, number> =>
    Object.fromEntries(Object.entries(item ?? {}).filter(([name, value]) => !['pk', 'sk', 'total'].includes(name) && typeof value === 'number' && value > 0)) as Record<string, number>;

  const idempotencyItem = (tenantId: string, record: IdempotencyRecord) => ({
    TableName: tableName,
    Item: {
      ...idempotencyItemKey(tenantId, record.operation, record.key),
      kind: 'idempotency',
      tenantId,
      operation: record.operation,
      key: record.key,
      fingerprint: record.fingerprint,
      expiresAt: record.expiresAt,
      // JSON text, so a repeat gets the first answer exactly, whatever its body holds.
      answer: JSON.stringify(record.answer),
      ...(record.queued ? { queued: JSON.stringify(record.queued) } : {}),
    },
    // A key past its day that TTL has not deleted yet is free again.
    ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
    ExpressionAttributeValues: { ':now': Math.floor(clock.now().getTime() / 1000) },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
  });

  const rememberedOf = (item: Record<string, unknown>): IdempotencyRecord => ({
    operation: String(item.operation),
    key: String(item.key),
    fingerprint: String(item.fingerprint),
    expiresAt: Number(item.expiresAt),
    answer: JSON.parse(String(item.answer)),
    ...(typeof item.queued === 'string' ? { queued: JSON.parse(item.queued) } : {}),
  });

  /** `remembering`, when given, is the last item: its key held by another request outranks any other failure. */
  async function transact(
    items: TransactItem[],
    explain: (index: number, item: Record<string, unknown> | undefined) => DomainError,
    remembering?: IdempotencyRecord,
  ): Promise<void> {
    try {
      await documents.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const held = remembering ? reasons[items.length - 1] : undefined;
      if (held?.Code === 'ConditionalCheckFailed' && held.Item) throw new IdempotencyKeyHeld(rememberedOf(unmarshall(held.Item)));
      if (held?.Code === 'TransactionConflict') throw idempotencyKeyInProgress(remembering!.key);
      const failed = reasons.findIndex((reason) => reason.Code === 'ConditionalCheckFailed');
      if (failed >= 0) {
        // The document client does not unmarshall cancellation reasons.
        const item = reasons[failed]?.Item;
        throw explain(failed, item ? unmarshall(item) : undefined);
      }
      // Another transaction was writing the same items at that moment: the caller may simply try again.
      if (reasons.some((reason) => reason.Code === 'TransactionConflict')) {
        throw new DomainError('transaction_conflict', 'Another request was changing the same records at the same moment; try again');
      }
      throw error;
    }
  }

  /** DynamoDB rejects a start key outside the query's range; with a client's cursor that is a bad request. */
  async function queryPage(command: QueryCommand, fromCursor: boolean) {
    try {
      return await documents.send(command);
    } catch (error) {
      if (fromCursor && error instanceof Error && error.name === 'ValidationException') throw badCursor();
      throw error;
    }
  }

  const store: RecordStore = {
    async get(tenantId, kind, id) {
      const { Item } = await documents.send(new GetCommand({ TableName: tableName, Key: recordKey(tenantId, kind, id) }));
      return Item ? toRecord(kind, Item) : undefined;
    },

    async getMany(tenantId, refs) {
      const found = new Map<string, Record<string, unknown>>();
      const allKeys: Record<string, unknown>[] = refs.map((ref) => recordKey(tenantId, ref.kind, ref.id));
      // One BatchGetItem takes at most 100 keys.
      for (let start = 0; start < allKeys.length; start += maxBatchGetKeys) {
        let keys = allKeys.slice(start, start + maxBatchGetKeys);
        // BatchGetItem may leave keys unprocessed under load; ask again for those, a bounded number of times.
        for (let round = 0; keys.length > 0; round++) {
          if (round === maxBatchGetRounds) throw new Error(`BatchGetItem left ${keys.length} keys unprocessed`);
          if (round > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** round));
          const result = await documents.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys } } }));
          for (const item of result.Responses?.[tableName] ?? []) found.set(refKey(String(item.kind), String(item.id)), item);
          keys = (result.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
        }
      }
      // Each record is parsed as the kind it is asked for, when first asked for: a place is asked for once per timed message.
      const parsed = new Map<string, unknown>();
      return {
        get<K extends RecordKind>(kind: K, id: string): RecordOf<K> | undefined {
          const key = refKey(kind, id);
          // The key names the kind, so what is cached under it was parsed as K.
          if (parsed.has(key)) return parsed.get(key) as RecordOf<K> | undefined;
          const item = found.get(key);
          const record = item ? toRecord(kind, item) : undefined;
          parsed.set(key, record);
          return record;
        },
      };
    },

    async put(tenantId, kind, record, options: WriteOptions) {
      const references = options.references ?? [];
      const claims = options.claims ?? [];
      const releases = options.releases ?? [];
      const companions = options.alsoPut ?? [];
      const counts = [
        ...referenceCountUpdates(tenantId, references, options.dropsReferences ?? []),
        ...searchEntries(tenantId, kind, record, options.replaces),
        ...companions.flatMap((companion) => searchEntries(tenantId, companion.kind, companion.record)),
      ];
      const putItem = (kind: RecordKind, record: { readonly id: string; readonly createdAt: string }, expected: number | 'absent') => ({
        TableName: tableName,
        Item: { ...record, ...itemKeys(tenantId, kind, record), kind, tenantId, ...correlation() },
        ...versionCondition(expected),
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
      });
      const put = putItem(kind, record, options.expected);

      if (references.length + claims.length + releases.length + companions.length + counts.length === 0 && !options.remember) {
        try {
          await documents.send(new PutCommand(put));
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
          // The document client does not unmarshall the old item of a failed condition.
          throw recordConditionFailure(kind, record.id, error.Item ? unmarshall(error.Item) : undefined);
        }
        return;
      }

      const items: TransactItem[] = [
        { Put: put },
        ...references.map((ref) => referenceCheck(tenantId, ref)),
        ...claims.map((claim) => claimItem(tenantId, claim, kind, record.id)),
        ...releases.map((claim) => releaseItem(tenantId, claim, record.id)),
        ...companions.map((companion): TransactItem => ({ Put: putItem(companion.kind, companion.record, companion.expected) })),
        // Unconditional (reference counts, search entries): they cannot fail a transaction, so they come after every item that can.
        ...counts,
        ...(options.remember ? [{ Put: idempotencyItem(tenantId, options.remember) }] : []),
      ];
      await transact(items, (index, current) => {
        if (index === 0) return recordConditionFailure(kind, record.id, current);
        const ref = references[index - 1];
        if (ref && current && ref.notArchived) return archivedReference(ref.kind, ref.id, ref.field);
        if (ref) return invalidInput([{ path: ref.field, message: `${ref.kind} ${ref.id} does not exist` }], `The ${ref.kind} named in ${ref.field} does not exist`);
        const claim = claims[index - 1 - references.length];
        if (claim) return new DomainError('duplicate', claim.taken ?? `${claim.field} ${claim.value} is already taken`, { field: claim.field, value: claim.value });
        const released = releases[index - 1 - references.length - claims.length];
        if (released) return new DomainError('conflict', `${released.name} ${released.value} is held by another record`);
        const companion = companions[index - 1 - references.length - claims.length - releases.length]!;
        return recordConditionFailure(companion.kind, companion.record.id, current);
      }, options.remember);
    },

    async remove(tenantId, kind, id, options: RemoveOptions) {
      const releases = options.releases ?? [];
      const counts = [
        ...referenceCountUpdates(tenantId, [], options.dropsReferences ?? []),
        ...(options.record ? searchTermsOf(kind, options.record).map((term): TransactItem => ({ Delete: { TableName: tableName, Key: searchEntryKey(tenantId, kind, term, id) } })) : []),
      ];
      const condition =
        options.expected === undefined
          ? { ConditionExpression: 'attribute_exists(pk)' }
          : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': options.expected } };
      const del = { TableName: tableName, Key: recordKey(tenantId, kind, id), ...condition, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const };
      if (releases.length + counts.length === 0 && !options.unreferenced) {
        try {
          await documents.send(new DeleteCommand(del));
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
          throw recordConditionFailure(kind, id, error.Item ? unmarshall(error.Item) : undefined);
        }
        return;
      }
      // The count item goes with the record, and only while nothing is counted: a reference taken in a
      // concurrent transaction either lands first (and this fails) or finds the record gone (and fails).
      const countDelete: TransactItem[] = options.unreferenced
        ? [
            {
              Delete: {
                TableName: tableName,
                Key: referenceCountKey(tenantId, kind, id),
                ConditionExpression: 'attribute_not_exists(pk) OR #total = :zero',
                ExpressionAttributeNames: { '#total': 'total' },
                ExpressionAttributeValues: { ':zero': 0 },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
          ]
        : [];
      await transact([{ Delete: del }, ...countDelete, ...releases.map((claim) => releaseItem(tenantId, claim, id)), ...counts], (index, current) =>
        index === 1 && options.unreferenced ? inUse(kind, id, referenceCounts(current)) : recordConditionFailure(kind, id, current),
      );
    },

    async list(tenantId, kind, query: ListQuery) {
      const condition = listCondition(tenantId, kind, query.order);
      let startKey = query.cursor === undefined ? undefined : decodeCursor(query.cursor, tenantPartition(tenantId), condition.partitionAttribute, condition.partitionValue);
      const where = Object.entries(query.where ?? {});
      const whereValues = Object.fromEntries(
        where.flatMap(([, value], i) => (Array.isArray(value) ? value.map((one, j) => [`:w${i}_${j}`, one]) : [[`:w${i}`, value]])),
      );
      const filter =
        where.length === 0
          ? {}
          : {
              FilterExpression: where
                .map(([, value], i) => (Array.isArray(value) ? `#w${i} IN (${value.map((_, j) => `:w${i}_${j}`).join(', ')})` : `#w${i} = :w${i}`))
                .join(' AND '),
              ExpressionAttributeNames: Object.fromEntries(where.map(([name], i) => [`#w${i}`, name])),
            };
      const items: RecordOf<typeof kind>[] = [];
      for (let reads = 0; reads < maxReadsPerPage && items.length < query.limit; reads++) {
        const page = await queryPage(
          new QueryCommand({
            TableName: tableName,
            IndexName: condition.index,
            KeyConditionExpression: condition.expression,
            ExpressionAttributeValues: { ...condition.values, ...whereValues },
            ...filter,
            ScanIndexForward: !query.order.newestFirst,
            ExclusiveStartKey: startKey,
            Limit: query.limit - items.length,
          }),
          query.cursor !== undefined,
        );
        items.push(...(page.Items ?? []).map((item) => toRecord(kind, item)));
        startKey = page.LastEvaluatedKey;
        if (!startKey) break;
      }
      return { items, nextCursor: startKey ? encodeCursor(startKey) : null };
    },

    async search(tenantId, kind, prefix, page) {
      const partition = tenantPartition(tenantId);
      let startKey = page.cursor === undefined ? undefined : decodeCursor(page.cursor, partition, 'pk', partition);
      const found: RecordOf<typeof kind>[] = [];
      for (let reads = 0; reads < maxReadsPerPage && found.length < page.limit; reads++) {
        const result = await queryPage(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': partition, ':prefix': searchPrefixKey(kind, prefix) },
            ExclusiveStartKey: startKey,
            Limit: page.limit - found.length,
          }),
          page.cursor !== undefined,
        );
        const entries = (result.Items ?? []).map((item) => ({ term: String(item.term), id: String(item.ownerId) }));
        if (entries.length > 0) {
          // One BatchGetItem for the entries' records; an entry is answered only by the record's first matching term.
          const records = await store.getMany(tenantId, entries.map((entry) => ({ kind, id: entry.id })));
          for (const entry of entries) {
            const record = records.get(kind, entry.id);
            if (record && isRepresentative(kind, record, entry.term, prefix)) found.push(record);
          }
        }
        startKey = result.LastEvaluatedKey;
        if (!startKey) break;
      }
      return { items: found, nextCursor: startKey ? encodeCursor(startKey) : null };
    },

    async claimOwner(tenantId, claim) {
      const { Item } = await documents.send(new GetCommand({ TableName: tableName, Key: claimKey(tenantId, claim) }));
      if (!Item) return undefined;
      return { tenantId: String(Item.tenantId), kind: String(Item.ownerKind), id: String(Item.ownerId) };
    },

    async clientHasRecords(tenantId, clientId) {
      const { Items } = await documents.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'ByClient',
          KeyConditionExpression: 'gsi2pk = :pk',
          ExpressionAttributeValues: { ':pk': `${tenantPartition(tenantId)}#client#${clientId}` },
          Limit: 1,
          ProjectionExpression: 'pk',
        }),
      );
      return (Items?.length ?? 0) > 0;
    },

    async recall(tenantId, operation, key) {
      const { Item } = await documents.send(new GetCommand({ TableName: tableName, Key: idempotencyItemKey(tenantId, operation, key), ConsistentRead: true }));
      return Item ? rememberedOf(Item) : undefined;
    },

    async remember(tenantId, record) {
      try {
        await documents.send(new PutCommand(idempotencyItem(tenantId, record)));
      } catch (error) {
        // Exceptions are not unmarshalled by the document client.
        if (error instanceof ConditionalCheckFailedException && error.Item) throw new IdempotencyKeyHeld(rememberedOf(unmarshall(error.Item)));
        throw error;
      }
    },
  };
  return store;
}
