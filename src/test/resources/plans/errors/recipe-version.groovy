plan('recipe-version') {
    use 'recipes/clear-b.groovy', version: '1.0'
    step('a') { sql 'SELECT 1' }
}
