package dev.mig.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code mig.*}: which plans run at start-up, on which database, and how. Plans are named as the
 * command line names them: {@code classpath:db/plan.groovy} (in the application's jar) or a file path.
 */
@ConfigurationProperties(prefix = "mig")
public class MigProperties {

    /** Run the plans at start-up. */
    private boolean enabled = true;

    /** The plans run on the application's DataSource, in order. */
    private List<String> plans = new ArrayList<>(List.of("classpath:db/plan.groovy"));

    /** Schema of the journal (mig's default: mig). */
    private String journalSchema;

    /** How long to wait for another run's plan lock (mig's default: 60 s). */
    private Duration lockWait;

    /** run (apply the plans), plan (a dry run: report what would run, change nothing) or check (load and validate only). */
    private Mode mode = Mode.RUN;

    /** A database of mig's own instead of the application's DataSource: a jdbc:postgresql:// URL. */
    private String url;

    /** User for {@code mig.url}. */
    private String user;

    /** Password for {@code mig.url}; never printed. */
    private String password;

    /**
     * Further DataSource beans by name, each with its own plans:
     * {@code mig.data-sources.ordersDataSource=classpath:db/orders.groovy}.
     */
    private Map<String, List<String>> dataSources = new LinkedHashMap<>();

    /** Placeholder values ({@code mig.placeholders.owner=app}), winning over the plan's own, as --set does. */
    private Map<String, String> placeholders = new LinkedHashMap<>();

    public enum Mode { RUN, PLAN, CHECK }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public List<String> getPlans() {
        return plans;
    }

    public void setPlans(List<String> plans) {
        this.plans = plans;
    }

    public String getJournalSchema() {
        return journalSchema;
    }

    public void setJournalSchema(String journalSchema) {
        this.journalSchema = journalSchema;
    }

    public Duration getLockWait() {
        return lockWait;
    }

    public void setLockWait(Duration lockWait) {
        this.lockWait = lockWait;
    }

    public Mode getMode() {
        return mode;
    }

    public void setMode(Mode mode) {
        this.mode = mode;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public Map<String, List<String>> getDataSources() {
        return dataSources;
    }

    public void setDataSources(Map<String, List<String>> dataSources) {
        this.dataSources = dataSources;
    }

    public Map<String, String> getPlaceholders() {
        return placeholders;
    }

    public void setPlaceholders(Map<String, String> placeholders) {
        this.placeholders = placeholders;
    }
}
