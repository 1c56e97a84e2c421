package com.expressmonitor.event;

import java.io.Serializable;

/** What the facility registry knows about one facility. */
public record FacilityInfo(FacilityType facilityType, String districtCode) implements Serializable {}
