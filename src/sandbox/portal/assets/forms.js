// Small enhancements for the server-rendered forms; every form works without them.
// - focus the error summary, so keyboard and screen-reader users land on what went wrong;
// - copy buttons next to credentials.
const summary = document.querySelector('.error-summary');
if (summary instanceof HTMLElement) summary.focus();

for (const button of document.querySelectorAll('button[data-copy]')) {
  button.addEventListener('click', async () => {
    const target = document.getElementById(button.getAttribute('data-copy') ?? '');
    if (!target) return;
    try {
      await navigator.clipboard.writeText(target.textContent ?? '');
      button.firstChild.textContent = 'Copied';
    } catch {
      const range = document.createRange();
      range.selectNodeContents(target);
      const selection = window.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
    }
  });
}
