// Draws the report's charts from the inline JSON. Animation is off so that each chart is drawn
// when it is created: a headless screenshot then shows finished charts. Each chart container gets
// data-rendered, data-points (values plotted) and data-ink (painted canvas pixels) so that a test
// can tell an empty canvas from a drawn one; <body data-rendered> counts the drawn charts.
(function () {
  'use strict';
  const data = JSON.parse(document.getElementById('report-data').textContent);
  const COLORS = { baseline: '#2563eb', canary: '#ea580c' };
  const SEVERITY_COLORS = { CRITICAL: '#dc2626', WARNING: '#ca8a04', INFO: '#6b7280' };
  const ACTION_COLORS = { ROLLBACK: '#dc2626', PROMOTE: '#16a34a', COMPLETE: '#16a34a', START: '#0f172a',
    HOLD: '#ca8a04', PAUSE: '#6b7280', RESUME: '#6b7280' };
  const pad = (n) => String(n).padStart(2, '0');
  const clock = (ms) => { const d = new Date(ms); return pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes()) + ':' + pad(d.getUTCSeconds()); };

  const times = [];
  for (const cohort of ['baseline', 'canary']) { for (const p of data.metrics[cohort]) { times.push(p.t); } }
  for (const d of data.decisions) { times.push(d.t); }
  for (const a of data.alerts) { times.push(a.t); }
  const xMin = times.length ? Math.min(...times) : 0;
  const xMax = times.length ? Math.max(...times) : 1;

  // Vertical lines at decisions on every time chart; a rollback is thick, red and labelled.
  const decisionMarkers = {
    id: 'decisionMarkers',
    afterDatasetsDraw(chart) {
      const x = chart.scales.x, area = chart.chartArea, ctx = chart.ctx;
      for (const d of data.decisions) {
        if (d.t < x.min || d.t > x.max || d.action === 'HOLD') { continue; }
        const px = x.getPixelForValue(d.t);
        const rollback = d.action === 'ROLLBACK';
        ctx.save();
        ctx.strokeStyle = ACTION_COLORS[d.action] || '#6b7280';
        ctx.lineWidth = rollback ? 3 : 1;
        if (!rollback) { ctx.setLineDash([4, 4]); }
        ctx.beginPath(); ctx.moveTo(px, area.top); ctx.lineTo(px, area.bottom); ctx.stroke();
        ctx.fillStyle = ctx.strokeStyle;
        ctx.font = (rollback ? 'bold 13px' : '10px') + ' sans-serif';
        ctx.fillText(rollback ? 'ROLLBACK' : d.action, px + 4, area.top + (rollback ? 14 : 10));
        ctx.restore();
      }
    }
  };

  // Ticks on round clock times: the smallest of these steps that gives at most 10 ticks.
  const STEPS = [1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400].map((s) => s * 1000);
  const step = STEPS.find((s) => (xMax - xMin) / s <= 10) || 86400000 * Math.ceil((xMax - xMin) / 86400000 / 10);
  const xScale = { type: 'linear', min: xMin, max: xMax, ticks: { callback: (v) => clock(v) },
    afterBuildTicks: (scale) => {
      const ticks = [];
      for (let v = Math.ceil(xMin / step) * step; v <= xMax; v += step) { ticks.push({ value: v }); }
      scale.ticks = ticks;
    },
    title: { display: true, text: 'event time (UTC)' } };

  function finish(container, chart, points) {
    chart.draw();
    const canvas = chart.canvas;
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let ink = 0;
    for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] !== 0) { ink++; } }
    container.dataset.points = String(points);
    container.dataset.ink = String(ink);
    container.dataset.rendered = points > 0 && ink > 0 ? 'true' : 'empty';
  }

  function metricChart(field) {
    const container = document.getElementById('chart-' + field);
    let points = 0;
    const datasets = ['baseline', 'canary'].map((cohort) => {
      const series = data.metrics[cohort].map((p) => ({ x: p.t, y: p[field] === undefined ? null : p[field] }));
      points += series.filter((p) => p.y !== null).length;
      return { label: cohort, data: series, borderColor: COLORS[cohort], backgroundColor: COLORS[cohort],
        borderWidth: cohort === 'canary' ? 2 : 1.5, pointRadius: 0, spanGaps: false, tension: 0 };
    });
    const chart = new Chart(container.querySelector('canvas'), {
      type: 'line', data: { datasets }, plugins: [decisionMarkers],
      options: { animation: false, responsive: true, maintainAspectRatio: false, parsing: false, normalized: true,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: { x: xScale, y: { beginAtZero: field !== 'latencyP95' && field !== 'latencyP99' && field !== 'ttftP95' } },
        plugins: { tooltip: { callbacks: { title: (items) => items.length ? clock(items[0].parsed.x) : '' } } } }
    });
    finish(container, chart, points);
  }

  function stageChart() {
    const container = document.getElementById('chart-stage');
    const steps = data.decisions.map((d) => ({ x: d.t, y: d.canaryPercent }));
    if (steps.length) { steps.push({ x: xMax, y: steps[steps.length - 1].y }); }
    const marks = data.decisions.map((d) => ({ x: d.t, y: d.canaryPercent, action: d.action, reason: d.reason, seq: d.seq }));
    const alerts = data.alerts.map((a) => ({ x: a.t, y: 96, alert: a }));
    const chart = new Chart(container.querySelector('canvas'), {
      type: 'line',
      data: { datasets: [
        { label: 'canary %', data: steps, stepped: 'before', borderColor: COLORS.canary, backgroundColor: 'rgba(234,88,12,0.12)',
          fill: true, pointRadius: 0, borderWidth: 2 },
        { label: 'decisions', type: 'scatter', data: marks,
          pointRadius: marks.map((m) => m.action === 'ROLLBACK' ? 9 : 5),
          pointStyle: marks.map((m) => m.action === 'ROLLBACK' ? 'triangle' : 'circle'),
          backgroundColor: marks.map((m) => ACTION_COLORS[m.action] || '#6b7280'),
          borderColor: marks.map((m) => ACTION_COLORS[m.action] || '#6b7280') },
        // alerts as diamonds along the top, coloured by severity; a dry-run alert is hollow
        { label: 'alerts', type: 'scatter', data: alerts,
          pointRadius: 6, pointStyle: 'rectRot',
          backgroundColor: alerts.map((a) => a.dryRun ? 'rgba(0,0,0,0)' : SEVERITY_COLORS[a.severity] || '#6b7280'),
          borderColor: alerts.map((a) => SEVERITY_COLORS[a.severity] || '#6b7280') }
      ] },
      plugins: [decisionMarkers],
      options: { animation: false, responsive: true, maintainAspectRatio: false, parsing: false,
        scales: { x: xScale, y: { min: 0, max: 100, title: { display: true, text: 'canary %' } } },
        plugins: { tooltip: { callbacks: {
          title: (items) => items.length ? clock(items[0].parsed.x) : '',
          label: (item) => item.raw.alert ? item.raw.alert.severity.toLowerCase() + ' ' + item.raw.alert.rule
            + (item.raw.alert.dryRun ? ' (dry run)' : '') + ': ' + item.raw.alert.message
            : item.raw.action ? '#' + item.raw.seq + ' ' + item.raw.action + ': ' + item.raw.reason : item.parsed.y + ' %'
        } } } }
    });
    finish(container, chart, marks.length + alerts.length);
  }

  function requestsChart() {
    const container = document.getElementById('chart-requests');
    let points = 0;
    const datasets = ['baseline', 'canary'].map((cohort) => {
      const series = data.metrics[cohort].map((p) => ({ x: p.t, y: p.requests }));
      points += series.length;
      return { label: cohort, data: series, borderColor: COLORS[cohort], backgroundColor: COLORS[cohort], pointRadius: 0, borderWidth: 1.5 };
    });
    const chart = new Chart(container.querySelector('canvas'), {
      type: 'line', data: { datasets }, plugins: [decisionMarkers],
      options: { animation: false, responsive: true, maintainAspectRatio: false, parsing: false,
        scales: { x: xScale, y: { beginAtZero: true } } }
    });
    finish(container, chart, points);
  }

  stageChart();
  ['errorRate', 'latencyP95', 'latencyP99', 'ttftP95', 'negativeFeedbackRate', 'costPerRequest'].forEach(metricChart);
  requestsChart();
  document.body.dataset.rendered = String(document.querySelectorAll('[data-rendered="true"]').length);
})();
