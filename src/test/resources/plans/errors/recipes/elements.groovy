// step elements, and a recipe with a typo
recipe('make table') { String name ->
    sql "CREATE TABLE ${ident(name)} (id int)"
}

recipe('typo') { ->
    sqll 'SELECT 1'
}

recipe('ping') { -> apply 'pong' }
recipe('pong') { -> apply 'ping' }
