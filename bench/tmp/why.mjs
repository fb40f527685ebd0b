import * as esbuild from 'esbuild';
const [entry, target] = process.argv.slice(2);
const r = await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', target: 'node24', mainFields: ['module','main'], minify: true, write: false, outfile: '/tmp/b/w.mjs', metafile: true, logLevel: 'silent' });
const inputs = r.metafile.inputs;
const start = Object.keys(inputs).find(k => k.endsWith(entry));
const prev = { [start]: null }; const q = [start];
while (q.length) { const n = q.shift(); for (const i of inputs[n]?.imports ?? []) { if (i.path in prev || !inputs[i.path]) continue; prev[i.path] = n; q.push(i.path); } }
const hit = Object.keys(prev).find(k => k.includes(target));
const chain = []; for (let n = hit; n; n = prev[n]) chain.unshift(n);
console.log(chain.join('\n  -> '));
