/**
 * The dashboard's one stylesheet, inlined (no asset route, nothing to cache-bust). Colours are
 * chosen for WCAG AA contrast (≥ 4.5:1 for text); the layout is one column below 640 px.
 */
export const STYLES = `
:root{--fg:#1a1f29;--muted:#4a5263;--bg:#fff;--panel:#f4f6f9;--line:#c9cfd9;--accent:#1d4ed8;--accent-fg:#fff;--ok:#166534;--bad:#9b1c1c;--warn:#854d0e;--focus:#b45309}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--accent)}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,summary:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem}
.skip:focus{left:.5rem;z-index:10}
header.top{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;padding:.6rem 1rem;background:#0f172a;color:#fff}
header.top a{color:#fff;text-decoration:none}
header.top a[aria-current=page]{text-decoration:underline;text-underline-offset:4px;font-weight:600}
header.top nav ul{display:flex;flex-wrap:wrap;gap:.25rem .9rem;list-style:none;margin:0;padding:0}
header.top .brand{font-weight:700;margin-right:.5rem}
header.top .who{margin-left:auto;display:flex;gap:.6rem;align-items:center;font-size:.85rem;color:#e2e8f0}
header.top .who button{background:transparent;color:#fff;border:1px solid #94a3b8;padding:.2rem .6rem}
main{padding:1rem;max-width:1200px;margin:0 auto}
h1{font-size:1.5rem;margin:.2rem 0 1rem}
h2{font-size:1.15rem;margin:1.4rem 0 .6rem}
h3{font-size:1rem;margin:1rem 0 .4rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--panel);font-weight:600}
.scroll{overflow-x:auto;max-width:100%}
.panel{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:.8rem 1rem;margin:.8rem 0}
form.stack{display:grid;gap:.7rem;max-width:640px}
form.inline{display:inline}
label{font-weight:600;display:block}
.hint{font-weight:400;color:var(--muted);font-size:.85rem}
input,select,textarea{font:inherit;padding:.4rem .5rem;border:1px solid #6b7280;border-radius:4px;width:100%;max-width:100%;background:#fff;color:var(--fg)}
input[type=checkbox]{width:auto}
fieldset{border:1px solid var(--line);border-radius:6px;padding:.6rem .8rem}
legend{font-weight:600;padding:0 .3rem}
.checks{display:flex;flex-wrap:wrap;gap:.3rem 1rem;list-style:none;padding:0;margin:.3rem 0}
.trend{display:flex;gap:.5rem;align-items:center}
.checks label{font-weight:400;display:flex;gap:.3rem;align-items:center}
button,.button{font:inherit;cursor:pointer;background:var(--accent);color:var(--accent-fg);border:0;border-radius:4px;padding:.45rem .9rem;text-decoration:none;display:inline-block}
button.secondary{background:#fff;color:var(--accent);border:1px solid var(--accent)}
button.danger{background:var(--bad)}
.badge{display:inline-block;border-radius:999px;padding:.05rem .55rem;font-size:.8rem;font-weight:600;color:#fff;white-space:nowrap}
.sev-critical{background:#7f1d1d}.sev-high{background:#9a3412}.sev-medium{background:#854d0e}.sev-low{background:#1e40af}.sev-info{background:#374151}
.st-passed{background:var(--ok)}.st-failed,.st-errored{background:var(--bad)}.st-cancelled,.st-aborted{background:#374151}.st-queued,.st-planning,.st-running,.st-finalizing{background:#1e40af}
.tag{display:inline-block;border:1px solid var(--line);border-radius:4px;padding:0 .35rem;font-size:.8rem;background:#fff;color:var(--fg)}
.tag.new{border-color:#9a3412;color:#9a3412;font-weight:600}
pre,code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.82rem}
pre{background:#0f172a;color:#e2e8f0;padding:.7rem;border-radius:6px;overflow-x:auto;white-space:pre-wrap;word-break:break-all;margin:.3rem 0}
.copyrow{display:flex;gap:.5rem;align-items:flex-start}
.copyrow pre{flex:1;min-width:0}
.muted{color:var(--muted)}
.flash{padding:.6rem .8rem;border-radius:6px;margin:.6rem 0;border:1px solid}
.flash.error{background:#fef2f2;border-color:var(--bad);color:var(--bad)}
.flash.ok{background:#f0fdf4;border-color:var(--ok);color:var(--ok)}
.secret{font-family:ui-monospace,monospace;background:#fff;border:1px dashed var(--ok);padding:.3rem;word-break:break-all}
progress{width:100%;height:1.1rem}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:.6rem}
form .grid>div{display:flex;flex-direction:column;justify-content:flex-end}
.stat{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:.5rem .7rem}
.stat b{display:block;font-size:1.3rem}
details{border:1px solid var(--line);border-radius:6px;margin:.4rem 0;background:#fff}
details>summary{cursor:pointer;padding:.45rem .7rem;list-style-position:inside}
details>div{padding:.2rem .8rem .8rem}
svg text{font-family:system-ui,sans-serif}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:640px){main{padding:.6rem}header.top .who{margin-left:0}th,td{padding:.35rem}.hide-sm{display:none}}
`;
