/**
 * The dashboard's only JavaScript, inlined with a CSP nonce: copy buttons, and live run progress
 * from the run's Server-Sent Events. Every page works without it (progress then shows on reload).
 */
export const CLIENT_SCRIPT = `
(function(){
  var live=document.getElementById('copy-status');
  function say(msg){if(live){live.textContent='';setTimeout(function(){live.textContent=msg},30);}}
  document.addEventListener('click',function(e){
    var b=e.target&&e.target.closest?e.target.closest('button[data-copy]'):null;
    if(!b)return;
    var el=document.getElementById(b.getAttribute('data-copy'));
    if(!el)return;
    var text=el.textContent||'';
    function done(){b.setAttribute('data-copied','true');b.textContent='Copied';say('Copied to the clipboard');setTimeout(function(){b.textContent='Copy'},2000);}
    function fallback(){var t=document.createElement('textarea');t.value=text;t.setAttribute('readonly','');t.style.position='fixed';t.style.opacity='0';document.body.appendChild(t);t.select();try{document.execCommand('copy');done();}catch(_){say('Copy failed: select the text and copy it');}document.body.removeChild(t);}
    if(navigator.clipboard&&window.isSecureContext){navigator.clipboard.writeText(text).then(done,fallback);}else{fallback();}
  });
  var box=document.querySelector('[data-events]');
  if(box&&window.EventSource){
    var es=new EventSource(box.getAttribute('data-events'));
    var bar=box.querySelector('progress'),txt=box.querySelector('[data-progress-text]'),st=box.querySelector('[data-status]');
    function show(d){
      var p=d.progress;
      if(st){st.textContent=d.status;st.className='badge st-'+d.status;}
      if(p&&bar){bar.max=Math.max(p.cases,1);bar.value=p.done;}
      if(p&&txt){txt.textContent=p.done+' of '+p.cases+' cases done: '+p.passed+' passed, '+p.failed+' failed, '+p.errored+' errored, '+p.skipped+' skipped';}
    }
    es.addEventListener('progress',function(e){try{show(JSON.parse(e.data));}catch(_){}});
    es.addEventListener('end',function(e){es.close();try{show(JSON.parse(e.data));}catch(_){}box.setAttribute('data-finished','true');setTimeout(function(){location.reload();},400);});
  }
})();
`;
