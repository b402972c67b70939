plan('recipe-use-in-step') {
    step('a') {
        use 'recipes/clear-a.groovy'
        sql 'SELECT 1'
    }
}
