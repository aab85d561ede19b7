// Behaviours pages ask for with data- attributes, because the Content-Security-Policy runs no inline handlers
// (onclick= and the like): data-print prints the page, data-confirm="…" asks before a form is sent,
// data-autosubmit sends its form when the choice changes.
document.addEventListener('click', e => {
    if (e.target instanceof Element && e.target.closest('[data-print]')) window.print();
});
document.addEventListener('submit', e => {
    const question = e.target instanceof HTMLFormElement ? e.target.dataset.confirm : undefined;
    if (question && !window.confirm(question)) e.preventDefault();
});
document.addEventListener('change', e => {
    if (e.target instanceof Element && e.target.matches('[data-autosubmit]') && e.target.form) e.target.form.submit();
});
