/* The briefing's HTML export: paints the inline SVG map for the chosen year and shows a clicked
 * kelurahan as text. Fixed code, inlined into the file; the data comes from the JSON block
 * #kel-data (its "<" escaped), text reaches the page through textContent only.
 */
(function(){
  var data = JSON.parse(document.getElementById('kel-data').textContent);
  var sel = document.getElementById('yearsel');
  var info = document.getElementById('info');
  function paint(){
    var y = sel.value, cats = data.years[y] || {};
    document.querySelectorAll('path.kel').forEach(function(p){
      var k = p.getAttribute('data-kode'), c = (cats[k] || {}).c || 'ND';
      p.setAttribute('fill', data.colors[c]); p.setAttribute('data-class', c);
      p.setAttribute('aria-label', data.names[k] + ': ' + data.classes[c]);
    });
    document.querySelectorAll('.legend [data-count]').forEach(function(el){
      var c = el.getAttribute('data-count'), n = 0;
      document.querySelectorAll('path.kel').forEach(function(p){ if (p.getAttribute('data-class') === c) n++; });
      el.textContent = n;
    });
  }
  function show(k){
    var y = sel.value, r = (data.years[y] || {})[k] || {};
    info.textContent = '';
    var h = document.createElement('strong'); h.textContent = data.names[k]; info.appendChild(h);
    var lines = [data.kec[k], data.labels.cls + ': ' + data.classes[r.c || 'ND']];
    if (r.s !== undefined) lines.push(data.labels.score + ': ' + r.s);
    if (r.h !== undefined) lines.push(data.labels.ha + ': ' + r.h);
    lines.forEach(function(l){
      info.appendChild(document.createElement('br')); info.appendChild(document.createTextNode(l));
    });
  }
  document.querySelectorAll('path.kel').forEach(function(p){
    p.setAttribute('tabindex', '0');
    p.addEventListener('click', function(){ show(p.getAttribute('data-kode')); });
    p.addEventListener('keydown', function(e){ if (e.key === 'Enter') show(p.getAttribute('data-kode')); });
  });
  sel.addEventListener('change', paint); paint();
})();
