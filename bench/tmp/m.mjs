import * as esbuild from 'esbuild';
import { readdirSync, statSync } from 'node:fs';
const entries = [...readdirSync('functions/api').filter(f => !['record-areas.ts','catalog.ts','numbered-documents.ts','record-messages.ts','plans.ts','booking-invoice.ts','client-actions.ts','client-card.ts'].includes(f)).map(f => 'functions/api/' + f), ...readdirSync('functions/lambdas').map(f => 'functions/lambdas/' + f)];
for (const entry of entries) {
  const out = '/tmp/b/out/' + entry.replace(/\//g, '_').replace('.ts', '.mjs');
  try {
  const r = await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', target: 'node24', mainFields: ['module','main'], minify: true, outfile: out, metafile: true, logLevel: 'silent',
    banner: { js: "import { createRequire as __cmCreateRequire } from 'node:module'; const require = __cmCreateRequire(import.meta.url);" } });
  const byPkg = {};
  for (const [file, info] of Object.entries(r.metafile.outputs[Object.keys(r.metafile.outputs)[0]].inputs)) {
    const m = file.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
    const k = m ? m[1] : file.split('/').slice(0,2).join('/');
    byPkg[k] = (byPkg[k] ?? 0) + info.bytesInOutput;
  }
  const top = Object.entries(byPkg).sort((a,b)=>b[1]-a[1]).slice(0,14).map(([k,v])=>`${k}:${(v/1024).toFixed(0)}`).join(' ');
  console.log(entry, (statSync(out).size/1024).toFixed(0)+'KB', top);
  } catch (e) { console.log(entry, 'ERR', e.message.slice(0,200)); }
}
