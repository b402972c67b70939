plan('from the class path') {
    step('create parcels') { sqlFile 'sql/parcels.sql' }
}
