import { execFileSync } from 'node:child_process';
const files = process.argv.slice(2);
const runs = 15; const res = Object.fromEntries(files.map(f => [f, []]));
for (let i = 0; i < runs; i++) for (const f of files) {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', `const t=performance.now(); await import(${JSON.stringify(f)}); console.log(performance.now()-t)`], { env: { ...process.env, AWS_REGION: 'eu-west-1', TABLE_NAME: 't', POWERTOOLS_TRACE_ENABLED: 'false', AWS_LAMBDA_FUNCTION_NAME: 'x' } }).toString();
  res[f].push(Number(out.trim().split('\n').pop()));
}
for (const f of files) { const s = res[f].sort((a,b)=>a-b); console.log(f, 'median', s[Math.floor(runs/2)].toFixed(1), 'min', s[0].toFixed(1)); }
