// The sandbox inbox: live updates, the filter, in-page navigation and the reset button.
// Every value in the HTML it swaps in was escaped by the server; this script never builds markup
// from data itself. Without it the page still works: links and the filter form reload the page.
(function () {
  'use strict';

  var params = new URLSearchParams(location.search);
  var view = document.getElementById('view');
  var version = Number(view.dataset.version);
  var topSeq = Number(view.dataset.topSeq || 0);
  var live = document.getElementById('live');
  var q = document.getElementById('q');
  var productInput = document.querySelector('#filter input[name=product]');
  var running = null;
  var again = false;
  var renders = 0;

  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }

  function setLive(on) {
    live.classList.toggle('off', !on);
    live.textContent = on ? 'live' : 'reconnecting';
  }

  // Fetches the view for the current parameters and swaps it in. Calls made while one is
  // running fold into one more run, so a burst of changes costs at most two fetches.
  function refresh(highlight) {
    if (running) { again = true; return running; }
    running = (async function () {
      do {
        again = false;
        var t0 = performance.now();
        var query = params.toString();
        var response = await fetch('ui/view?' + query, { cache: 'no-store' });
        if (!response.ok) { throw new Error('view: HTTP ' + response.status); }
        var html = await response.text();
        var tpl = document.createElement('template');
        tpl.innerHTML = html;
        var fresh = tpl.content.firstElementChild;
        if (highlight) {
          fresh.querySelectorAll('[data-seq]').forEach(function (row) {
            if (Number(row.dataset.seq) > topSeq) { row.classList.add('new'); }
          });
        }
        view.replaceWith(fresh);
        view = fresh;
        version = Number(view.dataset.version);
        topSeq = Math.max(topSeq, Number(view.dataset.topSeq || 0));
        renders += 1;
        document.body.dataset.renders = String(renders);
        // For tests and timing: which query the view on screen shows, and how long it took.
        document.body.dataset.query = query;
        document.body.dataset.renderMs = (performance.now() - t0).toFixed(1);
      } while (again);
    })();
    return running.finally(function () { running = null; });
  }

  // Long polling: the server answers as soon as the log or the pushes change (or after 25 s).
  async function watch() {
    // The first request answers at once, to show the connection is up.
    var wait = 0;
    for (;;) {
      try {
        var response = await fetch('changes?since=' + version + '&wait=' + wait, { cache: 'no-store' });
        wait = 25;
        if (!response.ok) { throw new Error('changes: HTTP ' + response.status); }
        var changed = await response.json();
        setLive(true);
        if (changed.version !== version) {
          await refresh(true);
          await sleep(150);
        }
      } catch (e) {
        setLive(false);
        await sleep(1000);
      }
    }
  }

  function go(search, push) {
    params = new URLSearchParams(search);
    var url = params.toString() ? '?' + params.toString() : location.pathname;
    if (push) { history.pushState(null, '', url); } else { history.replaceState(null, '', url); }
    q.value = params.get('q') || '';
    productInput.value = params.get('product') || '';
    return refresh(false);
  }

  document.addEventListener('click', function (event) {
    var link = event.target.closest('a[href^="?"]');
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) { return; }
    event.preventDefault();
    go(link.getAttribute('href').slice(1), true);
    window.scrollTo(0, 0);
  });

  window.addEventListener('popstate', function () { go(location.search, false); });

  var typing = null;
  function filterNow() {
    var next = new URLSearchParams();
    var product = params.get('phone') ? '' : (params.get('product') || '');
    if (product) { next.set('product', product); }
    if (q.value.trim()) { next.set('q', q.value.trim()); }
    return go(next.toString(), false);
  }
  q.addEventListener('input', function () {
    clearTimeout(typing);
    typing = setTimeout(filterNow, 120);
  });
  document.getElementById('filter').addEventListener('submit', function (event) {
    event.preventDefault();
    clearTimeout(typing);
    filterNow();
  });

  document.getElementById('reset').addEventListener('submit', async function (event) {
    event.preventDefault();
    if (!confirm('Reset the sandbox? Balances are restored; messages, pushes, counters and clock moves are forgotten.')) { return; }
    var response = await fetch('reset', { method: 'POST' });
    if (!response.ok) { alert('Reset failed: HTTP ' + response.status); return; }
    topSeq = 0;
    await refresh(false);
  });

  document.body.dataset.ready = 'true';
  watch();
}());
