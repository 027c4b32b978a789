"""Country names and street names of the simulated shops' countries."""
COUNTRIES = {"FR": "France", "US": "United States", "GB": "United Kingdom", "AU": "Australia"}
STREETS = {"FR": "rue de la Paix", "US": "Main Street", "GB": "High Street", "AU": "Beach Road"}
