// 查找: a <select> of units or people (its options carry data-py, the pinyin initials) gets a search box above it
// that narrows the options by name, unit code or pinyin initials (拼音首字母: 郑州 → zz). Without script the whole list
// stays usable. Options are hidden with an attribute of their own, so page scripts that hide whole groups keep working.
// A select that does not carry the whole directory (_UnitPicker, _PeoplePicker: the chosen one, a few offered and what
// its box found) has its box on the page already (data-picker-for, data-picker-source): the same box then asks the
// server for the options the text finds as one types, and the box itself is no longer sent (without script it is,
// and the page resolves it). data-picker-units names the unit fields (radios, check boxes) whose checked ones a people
// search is limited to; a change of them asks again.
// A name field with suggestions (input[list][data-picker-source]) fills its <datalist> from the same people answer.
(() => {
    const plain = s => (s || '').replace(/[\s\u3000]/g, '').toLowerCase();
    const hit = (option, q) => plain(option.textContent).includes(q)
        || (option.dataset.code || '').toLowerCase().includes(q)
        || (option.dataset.py || '').split(' ').some(p => p.includes(q));
    let count = 0;
    const enhance = select => {
        if (select.dataset.pickerReady || select.dataset.picker === 'off') return;
        select.dataset.pickerReady = '1';
        const box = document.createElement('input');
        box.type = 'search';
        box.autocomplete = 'off';
        box.className = 'picker-search';
        const what = select.querySelector('option[data-code]') ? '单位' : '人员';
        // Short enough for a phone's half-width field; the whole hint is the box's title.
        box.placeholder = what === '单位' ? '名称、代码或拼音' : '姓名或拼音';
        box.title = what === '单位' ? '按名称、代码或拼音首字母查找' : '按姓名或拼音首字母查找';
        box.id = (select.id || 'picker') + '-search-' + (++count);
        const label = document.createElement('label');
        label.className = 'sr-only';
        label.htmlFor = box.id;
        label.textContent = '查找' + what;
        select.before(label, box);
        box.addEventListener('input', () => {
            const q = plain(box.value);
            const shown = [];
            select.querySelectorAll('option[data-py]').forEach(o => {
                const keep = q === '' || hit(o, q) || (select.multiple && o.selected);
                o.toggleAttribute('data-unmatched', !keep);
                if (keep && !o.hidden && !o.parentElement.hidden) shown.push(o);
            });
            select.querySelectorAll('optgroup').forEach(g =>
                g.toggleAttribute('data-unmatched', !g.querySelector('option:not([data-unmatched])')));
            // One match left: choose it, as typing a full name would.
            if (!select.multiple && q !== '' && shown.length === 1 && !shown[0].selected) {
                shown[0].selected = true;
                select.dispatchEvent(new Event('change', { bubbles: true }));
            }
        });
    };
    const ask = async (box, q, extra) => {
        let url = box.dataset.pickerSource + '?q=' + encodeURIComponent(q) + (extra || '');
        if (box.dataset.pickerUnits) {
            document.querySelectorAll(box.dataset.pickerUnits).forEach(u => { if (u.checked) url += '&units=' + encodeURIComponent(u.value); });
        }
        try {
            const answer = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'text/html' } });
            if (!answer.ok) return null;
            const found = document.createElement('template');
            found.innerHTML = await answer.text();
            return [...found.content.querySelectorAll('option[data-py]')];
        } catch { return null; }
    };
    const remote = (select, box) => {
        if (select.dataset.pickerReady) return;
        select.dataset.pickerReady = '1';
        box.removeAttribute('name');
        if (select.dataset.pickerRequired) select.required = true;
        const what = box.dataset.pickerWhat || '单位', measure = what === '人员' ? ' 名' : ' 个';
        const status = document.createElement('span');
        status.className = 'sr-only';
        status.setAttribute('aria-live', 'polite');
        select.after(status);
        // What the page offered before any typing comes back when the box is emptied (unless the units decide it).
        const offered = [...select.querySelectorAll('option[data-py]')].map(o => o.cloneNode(true));
        let asked = 0, timer = 0;
        const fill = async () => {
            const q = box.value.trim();
            const mine = ++asked;
            const all = q === '' && !box.dataset.pickerUnits
                ? offered.map(o => o.cloneNode(true))
                : await ask(box, q, '&selected=' + encodeURIComponent(select.value));
            if (all === null || mine !== asked) return; // failed, or a later keystroke asked again
            const chosen = select.value;
            select.querySelectorAll('option[data-py]').forEach(o => { if (o.value !== chosen) o.remove(); });
            const options = all.filter(o => o.value !== chosen);
            options.forEach(o => o.removeAttribute('selected'));
            const last = select.querySelector('option[data-picker-last]');
            if (last) last.before(...options); else select.append(...options);
            status.textContent = q === '' ? '' : all.length === 0 ? '没有找到' + what : '找到 ' + all.length + measure + what + '，请在列表中选择';
            // One match left: choose it, as typing a full name would.
            if (q !== '' && all.length === 1 && options.length === 1) {
                options[0].selected = true;
                select.dispatchEvent(new Event('change', { bubbles: true }));
            }
        };
        box.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(fill, 150); });
        box.addEventListener('keydown', e => { if (e.key === 'Enter' && select.form) { e.preventDefault(); clearTimeout(timer); fill(); } });
        if (box.dataset.pickerUnits) {
            // One listener for the page's thousands of unit fields.
            document.addEventListener('change', e => {
                if (e.target.matches?.(box.dataset.pickerUnits)) { clearTimeout(timer); timer = setTimeout(fill, 150); }
            });
        }
    };
    const suggest = input => {
        const list = document.getElementById(input.getAttribute('list'));
        if (!list) return;
        let asked = 0, timer = 0;
        input.addEventListener('input', () => {
            clearTimeout(timer);
            timer = setTimeout(async () => {
                const mine = ++asked;
                const q = input.value.trim();
                const found = q === '' ? [] : await ask(input, q);
                if (found === null || mine !== asked) return;
                const names = [...new Set(found.map(o => o.dataset.name))];
                list.replaceChildren(...names.map(n => { const o = document.createElement('option'); o.value = n; return o; }));
            }, 150);
        });
    };
    document.querySelectorAll('select').forEach(s => {
        const box = s.id && document.querySelector('input[data-picker-for="' + CSS.escape(s.id) + '"]');
        if (box) remote(s, box);
        else if (s.querySelector('option[data-py]')) enhance(s);
    });
    document.querySelectorAll('input[list][data-picker-source]').forEach(suggest);
})();
