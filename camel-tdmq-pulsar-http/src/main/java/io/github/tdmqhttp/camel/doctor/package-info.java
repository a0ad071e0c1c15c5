/**
 * The doctor: checks a tdmq-http configuration against TDMQ (or the emulator) in order, one line per check with the
 * fix for each failure. The CLI module {@code tdmq-http-doctor}, the starter's actuator endpoint and the contract suite
 * all run {@link io.github.tdmqhttp.camel.doctor.TdmqHttpDoctor}.
 */
package io.github.tdmqhttp.camel.doctor;
