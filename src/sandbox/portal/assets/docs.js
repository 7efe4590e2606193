// Filters tables as you type: <input data-filter="id"> filters the table with that id, or every table
// of a group (data-filter-group). The same search works without script through the form's ?q=.
for (const input of document.querySelectorAll('input[data-filter]')) {
  const key = input.getAttribute('data-filter');
  const tables = [...document.querySelectorAll(`table#${key}, table[data-filter-group="${key}"]`)];
  const status = document.createElement('p');
  status.setAttribute('role', 'status');
  status.className = 'meta';
  input.closest('form')?.after(status);
  const apply = () => {
    const needle = input.value.trim().toLowerCase();
    let shown = 0;
    for (const table of tables) {
      for (const row of table.tBodies[0]?.rows ?? []) {
        const match = needle === '' || row.textContent.toLowerCase().includes(needle);
        row.hidden = !match;
        if (match) shown += 1;
      }
    }
    status.textContent = needle === '' ? '' : `${shown} matching rows`;
  };
  input.addEventListener('input', apply);
}
