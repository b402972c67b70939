plan('labels') {
    placeholders label: 'from the plan'
    step('labelled') {
        sql '''CREATE TABLE labelled (v text DEFAULT '${label}')'''
    }
}
