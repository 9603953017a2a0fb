/** The admin stylesheet, served from the admin path (the CSP allows no inline style). */
export const ADMIN_CSS = `
:root { color-scheme: light dark; font: 15px/1.45 system-ui, sans-serif; }
body { margin: 0 auto; max-width: 72rem; padding: 1rem; }
header { display: flex; gap: 1rem; align-items: baseline; justify-content: space-between; }
h1 { font-size: 1.3rem; margin: 0 0 .5rem; }
nav.tabs a { margin-right: .8rem; }
nav.tabs a[aria-current] { font-weight: 700; text-decoration: none; }
form.filters { display: flex; gap: .6rem; flex-wrap: wrap; margin: .6rem 0; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .45rem .4rem; border-bottom: 1px solid #8884; }
td.what { max-width: 34rem; overflow-wrap: anywhere; }
.excerpt { color: GrayText; margin: .2rem 0 0; }
.meta { font-size: .85rem; color: GrayText; }
.actions { display: flex; gap: .5rem; flex-wrap: wrap; margin: .6rem 0; }
.notice { padding: .5rem .7rem; border: 1px solid #8886; border-radius: .3rem; }
.paging { display: flex; gap: 1rem; margin: .8rem 0; }
button { font: inherit; cursor: pointer; }
button.small { font-size: .75rem; margin: 0 .2rem .2rem 0; }
`;
