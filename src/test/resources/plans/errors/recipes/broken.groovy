// a recipe file with an unclosed quote
recipe('broken') { String name ->
    sql 'SELECT 1'
    sql 'SELECT 2
}
