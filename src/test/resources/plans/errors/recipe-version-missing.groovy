plan('recipe-version-missing') {
    use 'recipes/clear-a.groovy', version: '1'
    step('a') { sql 'SELECT 1' }
}
