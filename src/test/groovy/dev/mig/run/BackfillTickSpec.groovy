package dev.mig.run

import spock.lang.Specification

/** The backfill's progress text (docs/DSL.md, "Batched backfills", "Output"): counts in the singular when one. */
class BackfillTickSpec extends Specification {

    def "progress text: #rows rows, #batches of #estimated batches, done #done"() {
        expect:
        new BackfillTick('orders', rows, batches, estimated, 1234.4, eta, done, null).text() == text

        where:
        rows | batches | estimated | eta | done  || text
        1    | 1       | -1        | -1  | true  || 'backfill orders: 1 row, 1 batch, 1234 rows/s, done'
        1000 | 1       | 1         | 0   | true  || 'backfill orders: 1000 rows, 1 batch, 1234 rows/s, done'
        500  | 1       | 1         | 2   | false || 'backfill orders: 500 rows, 1 of ~1 batch, 1234 rows/s, ETA 2s'
        5000 | 3       | 20        | 9   | false || 'backfill orders: 5000 rows, 3 of ~20 batches, 1234 rows/s, ETA 9s'
        0    | 0       | -1        | -1  | true  || 'backfill orders: 0 rows, 0 batches, 1234 rows/s, done'
    }
}
