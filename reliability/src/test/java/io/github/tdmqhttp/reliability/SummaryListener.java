package io.github.tdmqhttp.reliability;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/** Prints the suite's figures once every scenario has run, whatever the order of the classes. */
public class SummaryListener implements TestExecutionListener {

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        try {
            Figures.print(ReliabilitySuiteTest.MESSAGES + " messages under stress, "
                          + ReliabilitySuiteTest.OUTAGE_SECONDS + " s outage, quota " + ReliabilitySuiteTest.QUOTA
                          + "/s for " + ReliabilitySuiteTest.THROTTLE_MESSAGES + " messages, "
                          + ReliabilitySuiteTest.SHUTDOWN_MESSAGES + " messages across a restart; ack timeout "
                          + Rig.ACK_TIMEOUT.toSeconds() + " s");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
