use 'recipes/elements.groovy'
plan('recipe-applies-itself') {
    step('a') {
        apply 'ping'
    }
}
