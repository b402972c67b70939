package dev.mig.text

import spock.lang.Specification

class RedactorSpec extends Specification {

    def "a password in a libpq URL is masked"() {
        expect:
        Redactor.redact('postgres://u:SECRET@h:5432/db') == 'postgres://u:***@h:5432/db'
    }

    def "a password holding an @ is masked completely"() {
        expect:
        Redactor.redact('bad postgres://u:SE@CRET@h/db here') == 'bad postgres://u:***@h/db here'
    }

    def "a password parameter in a JDBC query string is masked"() {
        expect:
        Redactor.redact('jdbc:postgresql://h/db?user=u&password=SECRET&ssl=true') ==
                'jdbc:postgresql://h/db?user=u&password=***&ssl=true'
    }

    def "PGPASSWORD and quoted key-value passwords are masked"() {
        expect:
        Redactor.redact("PGPASSWORD=SECRET host=h password='two words'") == "PGPASSWORD=*** host=h password=***"
    }

    def "key=value passwords with libpq escapes are masked whole, quoted or not"() {
        expect:
        Redactor.redact(text) == masked

        where:
        text                                          | masked
        "host=h password='a b\\'c' user=u"          | 'host=h password=*** user=u'
        "host=h password = 'a\\\\' user=u"        | 'host=h password = *** user=u'
        'host=h password=a\\ b user=u'              | 'host=h password=*** user=u'
        "host=h password='never closed user=u"        | 'host=h password=***'
    }

    def "text without passwords is left alone"() {
        expect:
        Redactor.redact(text) == text

        where:
        text << ['postgres://u@h:5432/db', 'postgres://h:5432/db?sslmode=require', 'plain words', '', null]
    }
}
