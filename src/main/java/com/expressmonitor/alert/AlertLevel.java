package com.expressmonitor.alert;

/** Warning grades, lowest first (黄色预警 / 红色预警). */
public enum AlertLevel {
    NONE,
    YELLOW,
    RED
}
