"""Many communities on one deployment: memberships, the community chosen per login session, the switcher."""
