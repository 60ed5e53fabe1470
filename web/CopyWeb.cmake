# cmake -DSOURCE=<web> -DOUTPUT=<dir> -P CopyWeb.cmake
file(REMOVE_RECURSE "${OUTPUT}")
file(COPY "${SOURCE}/src/" DESTINATION "${OUTPUT}")
set(dsfr "${SOURCE}/node_modules/@gouvfr/dsfr/dist")
if(EXISTS "${dsfr}/dsfr.min.css")
  file(COPY "${dsfr}/dsfr.min.css" "${dsfr}/fonts" "${dsfr}/icons" DESTINATION "${OUTPUT}/dsfr")
else()
  message(WARNING "web/node_modules is missing: the dashboard is built without the DSFR style "
                  "(run scripts/deps.sh, which runs npm ci in web/)")
endif()
