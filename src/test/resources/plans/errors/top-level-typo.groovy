plna('typo') {
    step('a') { sql 'SELECT 1' }
}
