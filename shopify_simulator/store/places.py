"""Where the simulated shops and their customers are: countries, streets, and addresses as Shopify
serves them (MailingAddress)."""
COUNTRIES = {"FR": "France", "US": "United States", "GB": "United Kingdom", "AU": "Australia"}
STREETS = {"FR": "rue de la Paix", "US": "Main Street", "GB": "High Street", "AU": "Beach Road"}


def mailing_address(profile, person, *, gid: str, house_number: int, phone: str | None) -> dict:
    """`person` (a store.records.Customer) living at `house_number` on the country's street."""
    street = f"{house_number} {STREETS[profile.country_code]}"
    country = COUNTRIES[profile.country_code]
    return {
        "id": gid, "firstName": person.first_name, "lastName": person.last_name,
        "name": f"{person.first_name} {person.last_name}", "address1": street, "address2": None,
        "city": person.city, "zip": person.zip, "provinceCode": person.province,
        "countryCodeV2": profile.country_code, "country": country, "phone": phone, "company": None,
        "coordinatesValidated": False, "formatted": [street, f"{person.zip} {person.city}", country],
    }
