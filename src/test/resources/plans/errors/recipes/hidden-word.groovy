// a parameter named like a DSL word hides the word in the recipe's body
recipe('make table') { String table ->
    sql "CREATE TABLE ${ident(table)} (id int)"
    verify { table table }
}

// named like DSL words too, but only passed on as values: nothing is hidden
recipe('index column') { String table, String column ->
    sql "CREATE INDEX ${ident(table + '_' + column + '_idx')} ON ${ident(table)} (${ident(column)})"
    verify { index(table + '_' + column + '_idx') { on table } }
}
