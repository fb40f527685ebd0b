/**
 * What a DynamoDB request says, whatever its placeholders are named: tests assert the attributes an
 * update writes and the equalities a filter keeps, so renaming or reordering placeholders breaks none.
 */
interface ExpressionInput {
  readonly ExpressionAttributeNames?: Record<string, string> | undefined;
  readonly ExpressionAttributeValues?: Record<string, unknown> | undefined;
}

/** `name = value` pairs of an expression's comma- or AND-separated clauses, placeholders resolved; other clauses are skipped. */
function equalities(expression: string, input: ExpressionInput): Record<string, unknown> {
  const names = input.ExpressionAttributeNames ?? {};
  const values = input.ExpressionAttributeValues ?? {};
  const pairs = expression
    .split(/,|\bAND\b/)
    .map((clause) => /^\s*(#?[\w.]+)\s*=\s*(:\w+)\s*$/.exec(clause))
    .filter((match) => match !== null)
    .map(([, name, value]) => [name!.startsWith('#') ? names[name!] : name, values[value!]] as const);
  return Object.fromEntries(pairs);
}

/** The attributes an update's SET clause writes, by name. */
export function attributesSet(input: ExpressionInput & { readonly UpdateExpression?: string | undefined }): Record<string, unknown> {
  const set = /^\s*SET\s+(.*?)(?=\s+(?:REMOVE|ADD|DELETE)\s|$)/s.exec(input.UpdateExpression ?? '');
  return set ? equalities(set[1]!, input) : {};
}

/** The `attribute = value` conditions of a query's filter, by attribute name. */
export function filterEquals(input: ExpressionInput & { readonly FilterExpression?: string | undefined }): Record<string, unknown> {
  return equalities(input.FilterExpression ?? '', input);
}

/** The values a condition's `attribute IN (…)` clause allows for the attribute, placeholders resolved. */
export function conditionIn(input: ExpressionInput & { readonly ConditionExpression?: string | undefined }, attribute: string): unknown[] | undefined {
  const names = input.ExpressionAttributeNames ?? {};
  const values = input.ExpressionAttributeValues ?? {};
  for (const [, name, list] of (input.ConditionExpression ?? '').matchAll(/(#?[\w.]+)\s+IN\s*\(([^)]*)\)/g)) {
    if ((name!.startsWith('#') ? names[name!] : name) === attribute) return list!.split(',').map((placeholder) => values[placeholder.trim()]);
  }
  return undefined;
}
