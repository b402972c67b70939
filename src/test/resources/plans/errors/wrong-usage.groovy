plan('wrong usage') {
    searchPath 'kb', 1
    step('a') {
        requires 1
        verify {
            table 'a', 'b'
            table('a') { primaryKey 1 }
            index('i') { unique 'yes' }
            absent { column 1 }
            enumType('e') { labels 1 }
        }
        lint { allow 1 }
        cleanup { dropTriggersOn 'a', 'b' }
    }
    afterRun { transaction 'no' }
    step('b')
}
