// a recipe file with a typo in its top-level word
recip('x') { -> sql 'SELECT 1' }
