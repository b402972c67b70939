plan('hidden word') {
    ['a', 'b'].each { table ->
        step("create ${table}") {
            sql "CREATE TABLE ${table} (id int)"
            verify { table table }
        }
    }
    def index = 'a_idx'
    step('index') { verify { index index } }
    // a variable holding a closure is meant to be called: no problem
    def check = { String name -> name.toUpperCase() }
    step('closure') { sql "SELECT '${check('c')}'" }
}
