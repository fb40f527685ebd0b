import * as esbuild from 'esbuild';
const r = await esbuild.build({ entryPoints: [process.argv[2]], bundle: true, platform: 'node', format: 'esm', target: 'node24', mainFields: ['module','main'], minify: true, outfile: '/tmp/b/z.mjs', metafile: true, logLevel: 'silent' });
const inputs = Object.entries(r.metafile.outputs['/tmp/b/z.mjs'] ?? Object.values(r.metafile.outputs)[0]).length;
const out = Object.values(r.metafile.outputs)[0].inputs;
const f = process.argv[3];
Object.entries(out).filter(([k]) => k.includes(f)).sort((a,b)=>b[1].bytesInOutput-a[1].bytesInOutput).slice(0,25).forEach(([k,v])=>console.log((v.bytesInOutput/1024).toFixed(1), k));
