use 'recipes/clear-a.groovy'
plan('recipe-unknown') {
    step('a') {
        cleanup { apply 'clear nmae', 'x' }
    }
    step('b') {
        apply 'no such thing'
    }
}
