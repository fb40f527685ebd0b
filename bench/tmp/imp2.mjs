import { execFileSync } from 'node:child_process';
const files = process.argv.slice(2); const runs = 9; const res = Object.fromEntries(files.map(f => [f, []]));
for (let i = 0; i < runs; i++) for (const f of files) res[f].push(Number(execFileSync(process.execPath, ['--no-warnings','--input-type=module', '-e', `const t=performance.now(); await import(${JSON.stringify(f)}); process.stdout.write(String(performance.now()-t))`], { env: { PATH: process.env.PATH, AWS_REGION: 'eu-west-1', AWS_LAMBDA_FUNCTION_NAME: 'x', TABLE_NAME: 't' } }).toString()));
for (const f of files) { const s = res[f].sort((a,b)=>a-b); console.log(f.padEnd(50), 'median', s[Math.floor(runs/2)].toFixed(1)); }
