"""Build-side code: load and validate the edition's data, render pages, assemble the site."""
