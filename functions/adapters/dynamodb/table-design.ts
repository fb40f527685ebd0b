/**
 * The single table's key schema, shared by the CDK stack and the local stack so both create the
 * same table. Every item is partitioned by tenant; see README "Data model" for the access patterns.
 */
export interface IndexDesign {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey: string;
}

export const tableDesign = {
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: [
    // A tenant's records of one kind in time order (booking start, order schedule, invoice due date, estimate expiry).
    { name: 'ByTime', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    // Everything that belongs to one client (bookings, invoices, estimates, orders, leads), by kind then time.
    { name: 'ByClient', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  ] satisfies IndexDesign[],
  // Epoch seconds after which DynamoDB deletes the item: pending documents and rate-limit counters.
  timeToLiveAttribute: 'expiresAt',
} as const;

export type IndexName = (typeof tableDesign.indexes)[number]['name'];
