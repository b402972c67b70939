use 'recipes/elements.groovy'
plan('recipe-wrong-block') {
    step('a') {
        cleanup { apply 'make table', 't' }
    }
    step('b') {
        apply 'typo'
    }
}
