// 驾驶舱: draws the charts (Apache ECharts, vendored under /lib/echarts) and the table behind each from the figures
// the page carries; the meeting-room display (?screen=1) fetches them again every 60 seconds.
(() => {
  'use strict';
  const root = document.querySelector('[data-dashboard]');
  if (!root) return;
  const screen = root.dataset.screen === '1';
  const font = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif';
  const ink = screen ? '#e5edf7' : '#1f2937';
  const grid = screen ? '#33507a' : '#e5e7eb';
  const size = screen ? 18 : 13;
  const palette = ['#1d4ed8', '#0e7490', '#7c3aed', '#b45309', '#15803d', '#be185d', '#4d7c0f', '#6b7280', '#1e3a8a', '#b91c1c'];
  // Status colours as on the boards: amber waits, blue is in hand, green is done; red is kept for overdue.
  const colours = {
    assigned: '#d97706', returned: '#6b7280', acknowledged: '#1d4ed8', reported: '#7c3aed', verified: '#0e7490', rated: '#15803d', closed: '#166534',
    assignment: '#1d4ed8', appeal: '#0e7490', petition: '#7c3aed',
  };
  const number = n => Number(n).toLocaleString('zh-CN');
  const charts = {};

  const chart = id => {
    if (!charts[id]) charts[id] = echarts.init(document.getElementById(id), null, { renderer: 'canvas' });
    return charts[id];
  };

  const base = () => ({
    color: palette,
    textStyle: { fontFamily: font, fontSize: size, color: ink },
    animation: !screen,
    tooltip: { textStyle: { fontFamily: font } },
  });

  // A table from heads and rows, replacing what was there.
  const table = (name, heads, rows) => {
    const t = root.querySelector(`table[data-table="${name}"]`);
    const head = `<thead><tr>${heads.map(h => `<th scope="col">${h}</th>`).join('')}</tr></thead>`;
    const body = rows.length === 0
      ? `<tbody><tr><td colspan="${heads.length}">暂无数据</td></tr></tbody>`
      : `<tbody>${rows.map(r => `<tr>${r.map((c, i) => i === 0 ? `<th scope="row">${c}</th>` : `<td class="num">${c}</td>`).join('')}</tr>`).join('')}</tbody>`;
    t.innerHTML = head + body;
  };

  const escape = s => String(s).replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

  // What a screen reader hears for a chart: its figures in one sentence.
  const spoken = (el, title, pairs) => {
    el.setAttribute('aria-label', `${title}：${pairs.length ? pairs.map(([k, v]) => `${k} ${v}`).join('，') : '暂无数据'}`);
  };

  const empty = (id, isEmpty) => {
    const el = document.getElementById(id);
    el.hidden = isEmpty;
    const note = el.parentElement.querySelector('.chart-empty');
    if (note) note.hidden = !isEmpty;
  };

  const pie = (id, title, items) => {
    const shown = items.filter(i => i.count > 0);
    chart(id).setOption({
      ...base(),
      tooltip: { trigger: 'item', formatter: p => `${escape(p.name)}：${number(p.value)} 件（${p.percent}%）` },
      legend: { bottom: 0, textStyle: { color: ink, fontFamily: font, fontSize: size } },
      series: [{
        type: 'pie', radius: ['34%', '58%'], center: ['50%', '46%'], avoidLabelOverlap: true,
        label: { color: ink, fontFamily: font, fontSize: size, formatter: '{b}\n{c}' },
        data: shown.map(i => ({ name: i.label, value: i.count, itemStyle: colours[i.key] ? { color: colours[i.key] } : undefined })),
      }],
    }, true);
    spoken(document.getElementById(id), title, shown.map(i => [i.label, `${number(i.count)} 件`]));
  };

  const bars = (id, title, names, values, colour) => {
    chart(id).setOption({
      ...base(),
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1, axisLabel: { color: ink, fontSize: size - 1 }, splitLine: { lineStyle: { color: grid } } },
      yAxis: { type: 'category', inverse: true, data: names, axisLabel: { color: ink, fontSize: size, width: screen ? 220 : 120, overflow: 'truncate' } },
      series: [{ type: 'bar', data: values, barMaxWidth: screen ? 36 : 24, itemStyle: { color: colour }, label: { show: true, position: 'right', color: ink, fontSize: size } }],
    }, true);
    spoken(document.getElementById(id), title, names.map((n, i) => [n, `${number(values[i])} 件`]));
  };

  const monthName = (m, i) => (i === 0 || m.key.endsWith('-01') ? m.label : m.label.replace(/^\d{4}年/, ''));

  const render = d => {
    document.getElementById('kpi-total').textContent = number(d.total);
    document.getElementById('kpi-open').textContent = number(d.open);
    document.getElementById('kpi-overdue').textContent = number(d.overdue);
    document.getElementById('kpi-month').textContent = number(d.trend.length ? d.trend[d.trend.length - 1].assigned : 0);
    document.getElementById('dash-at').textContent = new Date(d.at).toLocaleString('zh-CN', { hour12: false, timeZone: 'Asia/Shanghai' });

    pie('chart-status', '事项状态', d.statuses);
    table('statuses', ['状态', '件数'], d.statuses.map(s => [escape(s.label), number(s.count)]));

    empty('chart-overdue', d.overdueByUnit.length === 0);
    bars('chart-overdue', '超期事项最多的单位', d.overdueByUnit.map(u => u.name), d.overdueByUnit.map(u => u.count), '#b91c1c');
    table('overdue', ['单位', '超期件数'], d.overdueByUnit.map(u => [escape(u.name), number(u.count)]));

    const months = d.trend.map(monthName);
    const series = [['交办', 'assigned', '#1d4ed8'], ['办结', 'completed', '#15803d'], ['超期', 'overdue', '#b91c1c']];
    chart('chart-trend').setOption({
      ...base(),
      tooltip: { trigger: 'axis', formatter: ps => `${escape(d.trend[ps[0].dataIndex].label)}<br>${ps.map(p => `${p.marker}${p.seriesName} ${number(p.value)} 件`).join('<br>')}` },
      legend: { top: 0, textStyle: { color: ink, fontFamily: font, fontSize: size } },
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: months, axisLabel: { color: ink, fontSize: size - 1 } },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { color: ink, fontSize: size - 1 }, splitLine: { lineStyle: { color: grid } } },
      series: series.map(([name, key, colour]) => ({
        name, type: key === 'assigned' ? 'bar' : 'line', data: d.trend.map(m => m[key]), itemStyle: { color: colour }, barMaxWidth: 40,
        lineStyle: { width: screen ? 4 : 2 }, symbolSize: screen ? 10 : 6,
      })),
    }, true);
    spoken(document.getElementById('chart-trend'), '近12个月趋势',
      d.trend.map(m => [m.label, `交办 ${number(m.assigned)} 件、办结 ${number(m.completed)} 件、超期 ${number(m.overdue)} 件`]));
    table('trend', ['月份', '交办', '办结', '超期'], d.trend.map(m => [escape(m.label), number(m.assigned), number(m.completed), number(m.overdue)]));

    pie('chart-kinds', '事项类型', d.kinds);
    table('kinds', ['类型', '件数'], d.kinds.map(k => [escape(k.label), number(k.count)]));

    const categories = d.categories.slice(0, 10);
    empty('chart-categories', categories.length === 0);
    bars('chart-categories', '诉求分类', categories.map(c => c.label), categories.map(c => c.count), '#1d4ed8');
    table('categories', ['分类', '件数'], d.categories.map(c => [escape(c.label), number(c.count)]));

    document.getElementById('hot-period').textContent = d.hotIssuesPeriod;
    document.getElementById('hot-list').innerHTML = d.hotIssues.map(h =>
      `<li><a href="/matters/${h.matterId}">${escape(h.title)}</a> <span class="muted">${escape(h.code)} · 同类 ${number(h.count)} 件${h.likes ? ` · 点赞 ${number(h.likes)}` : ''}</span></li>`).join('');
    root.querySelector('.hot-empty').hidden = d.hotIssues.length > 0;

    document.getElementById('lists-period').textContent = d.listsPeriod;
    const names = us => us.length ? `<ol>${us.map(u => `<li>${escape(u.name)}${u.score == null ? '' : ` <span class="muted">${u.score.toFixed(2)} 分</span>`}</li>`).join('')}</ol>` : '<p class="muted">本期无</p>';
    document.getElementById('lists').innerHTML = d.lists.map(g => `
      <div class="list-group"><h3>${escape(g.group)}</h3>
        <div class="boards"><div class="board red-board"><h4>红榜</h4>${names(g.red)}</div><div class="board black-board"><h4>黑榜</h4>${names(g.black)}</div></div>
        ${g.note ? `<p class="muted board-note">说明：${escape(g.note)}</p>` : ''}</div>`).join('');
    root.querySelector('.lists-empty').hidden = d.lists.length > 0;
    Object.values(charts).forEach(c => c.resize()); // a chart shown again after being empty takes its box's size
  };

  render(JSON.parse(document.getElementById('dashboard-data').textContent));
  window.addEventListener('resize', () => Object.values(charts).forEach(c => c.resize()));

  if (screen) {
    const status = document.getElementById('dash-refresh');
    const time = () => new Date().toLocaleTimeString('zh-CN', { hour12: false, timeZone: 'Asia/Shanghai' });
    status.textContent = `最后刷新 ${time()}`;
    const refresh = async () => {
      try {
        const response = await fetch(root.dataset.source, { headers: { Accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' });
        if (!response.ok || !(response.headers.get('content-type') || '').includes('json')) {
          status.textContent = response.url.includes('/login') || response.status === 401
            ? '登录已过期，请重新登录后再打开大屏'
            : `刷新失败（${time()}），60 秒后重试`;
          return;
        }
        render(await response.json());
        status.textContent = `最后刷新 ${time()}`;
      } catch {
        status.textContent = `刷新失败（${time()}），60 秒后重试`;
      }
    };
    window.dubanDashboardRefresh = refresh; // the browser tests call it instead of waiting a minute
    setInterval(refresh, 60_000);
    document.getElementById('dash-full')?.addEventListener('click', () => {
      if (document.fullscreenElement) document.exitFullscreen(); else document.documentElement.requestFullscreen?.();
    });
  }
})();
