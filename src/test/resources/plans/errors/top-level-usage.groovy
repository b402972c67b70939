recipe 'clear name'
ident()
plan('top level usage')
