// 查找: a <select> of units or people (its options carry data-py, the pinyin initials) gets a search box above it
// that narrows the options by name, unit code or pinyin initials (拼音首字母: 郑州 → zz). Without script the whole list
// stays usable. Options are hidden with an attribute of their own, so page scripts that hide whole groups (the people
// of the chosen units) keep working beside it.
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
        box.placeholder = what === '单位' ? '查找：名称、代码或拼音首字母' : '查找：姓名或拼音首字母';
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
    document.querySelectorAll('select').forEach(s => { if (s.querySelector('option[data-py]')) enhance(s); });
})();
